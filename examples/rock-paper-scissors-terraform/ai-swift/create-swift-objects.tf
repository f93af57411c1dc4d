# One private Swift (Object Storage) container per attendee, attendee-<number>-data in GRA: the
# volume their notebook, training job and app mount at /workspace/attendee.
#
# A starting point, not the original workshop's file: check every resource and argument against
# the OpenStack provider's documentation before applying it.
#
# Credentials come from the environment, never from this file (the OpenStack user of the project):
#   OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_TENANT_NAME
#
#   terraform init
#   terraform apply -var="number_of_attendees=<number of attendees>"
#   terraform output ai-objects-storage

terraform {
  required_providers {
    openstack = {
      source = "terraform-provider-openstack/openstack"
    }
  }
}

provider "openstack" {}

variable "number_of_attendees" {
  description = "How many attendees get a container: attendee 1 to attendee N"
  type        = number
}

variable "region" {
  description = "The Object Storage region the AI tools mount containers from (ovhai's @GRA)"
  type        = string
  default     = "GRA"
}

resource "openstack_objectstorage_container_v1" "attendee_data" {
  count  = var.number_of_attendees
  region = var.region
  name   = "attendee-${count.index + 1}-data"
}

# Each attendee's container, keyed by the attendee's number ($STUDENT_ID).
output "ai-objects-storage" {
  value = {
    for index, container in openstack_objectstorage_container_v1.attendee_data :
    tostring(index + 1) => "${container.name}@${var.region}"
  }
}
